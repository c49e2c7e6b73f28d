package dev.beamattention.json;

import dev.beamattention.record.PendingSentence;
import dev.beamattention.record.Sentence;

/**
 * What a usable input line holds: a sentence with its embeddings, or, where a word-vector table
 * will give the vectors, a sentence of tokens only.
 */
public sealed interface ParsedLine {
  /** A line that carried its embeddings. */
  record Embedded(Sentence sentence) implements ParsedLine {}

  /** A line of tokens only, waiting for a table's vectors. */
  record TokensOnly(PendingSentence pending) implements ParsedLine {}
}
