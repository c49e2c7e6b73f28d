/**
 * Testing support for users' pipelines: {@link dev.beamattention.testing.TestPipelineExtension}
 * hands JUnit 5 tests a Beam {@code TestPipeline} with its enforcement intact. Uses only Beam and
 * JUnit, which users who test bring themselves; nothing else of ours depends on it.
 */
package dev.beamattention.testing;
