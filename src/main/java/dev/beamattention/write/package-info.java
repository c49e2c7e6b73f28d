/**
 * Stage write: contextual, attention and error records to JSON Lines files, one file per bundle or
 * through TextIO for fixed shards and windows.
 */
package dev.beamattention.write;
