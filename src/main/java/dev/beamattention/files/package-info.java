/**
 * Input files on any Beam file system: matching a glob, and opening a file decompressed when its
 * name says so.
 */
package dev.beamattention.files;
