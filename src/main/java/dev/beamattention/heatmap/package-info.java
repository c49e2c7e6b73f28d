/**
 * Stage heatmap: the attention of chosen sentences drawn as SVG heatmaps, with an index page that
 * needs no network.
 */
package dev.beamattention.heatmap;
