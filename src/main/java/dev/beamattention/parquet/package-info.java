/**
 * Parquet files as the job reads and writes them: the Avro schemas of the output files, rows of an
 * input file checked and turned into sentences, and a Beam file seen as Parquet's input file.
 *
 * <p>Not part of the library's API: public because the read and write stages use it.
 */
package dev.beamattention.parquet;
