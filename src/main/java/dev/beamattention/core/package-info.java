/**
 * The numeric core: scaled dot-product multi-head attention on arrays and RealMatrix, the matrix
 * kernel, softmax and scale, and doubles as bytes; no Beam and no project imports.
 */
package dev.beamattention.core;
