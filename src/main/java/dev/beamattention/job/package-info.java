/**
 * The job on top: main and exit codes, the options, the plan checked before the run, the graph of
 * stages, and run.json.
 */
package dev.beamattention.job;
