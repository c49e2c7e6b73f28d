package dev.beamattention.pipeline;

import org.apache.beam.sdk.values.TupleTag;

/** The dead-letter output every stage shares, so their failures flatten into one collection. */
public final class Failures {
  public static final TupleTag<Failure> TAG = new TupleTag<Failure>("failures") {};

  private Failures() {}
}
