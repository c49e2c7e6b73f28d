/**
 * Stage write: contextual, attention and error records to JSON Lines files, one file per bundle or
 * through TextIO for fixed shards and windows; contextual and attention records to Parquet files
 * through ParquetIO's sink when asked.
 */
package dev.beamattention.write;
