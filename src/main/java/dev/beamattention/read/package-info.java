/**
 * Stage read: JSON Lines files to sentences and error records, in byte ranges read by a splittable
 * DoFn, or lines watched by TextIO when streaming.
 */
package dev.beamattention.read;
