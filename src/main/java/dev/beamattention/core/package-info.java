/**
 * The numeric core: scaled dot-product multi-head attention on arrays and RealMatrix, the matrix
 * kernel, softmax and scale, doubles as bytes, exact sums and per-head attention statistics; no
 * Beam and no project imports.
 */
package dev.beamattention.core;
