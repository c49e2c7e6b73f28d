/**
 * The elements that flow between stages (sentences, attended sentences, error records), their Beam
 * coders and the one dead-letter tag.
 */
package dev.beamattention.record;
