/**
 * The JSON Lines contract without Beam: parsing input lines into sentences, and writing output
 * records with exact shortest doubles.
 *
 * <p>Not part of the library's API: its classes are public because the read, embed and write stages
 * use them, and may change in any release. Use the stages' transforms instead.
 */
package dev.beamattention.json;
