/**
 * Stage embed: sentences of tokens get their vectors from a word-vector table, by side input or by
 * a join through a shuffle.
 */
package dev.beamattention.embed;
