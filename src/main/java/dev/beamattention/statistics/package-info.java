/**
 * Per-head statistics of attention over a whole corpus (entropy, distance, self, previous, next and
 * first token, the pairs drawing the most weight), combined exactly and written as {@code
 * head-stats.json} and {@code head-stats.html}.
 */
package dev.beamattention.statistics;
