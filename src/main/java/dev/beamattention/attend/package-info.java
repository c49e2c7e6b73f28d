/**
 * Stage attend: multi-head self-attention on every sentence, keeping the attention maps the output
 * asks for.
 */
package dev.beamattention.attend;
