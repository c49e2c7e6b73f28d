/**
 * The JSON Lines contract without Beam: parsing input lines into sentences, and writing output
 * records with exact shortest doubles.
 */
package dev.beamattention.json;
