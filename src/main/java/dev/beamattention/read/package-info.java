/**
 * Stage read: JSON Lines files to sentences and error records, in byte ranges read by a splittable
 * DoFn, or lines watched by TextIO when streaming; or Parquet files, a row a sentence, a file per
 * worker.
 */
package dev.beamattention.read;
