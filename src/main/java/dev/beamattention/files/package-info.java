/**
 * Input files on any Beam file system: matching a glob, and opening a file decompressed when its
 * name says so.
 *
 * <p>Not part of the library's API: public because the read stage and the job use it.
 */
package dev.beamattention.files;
