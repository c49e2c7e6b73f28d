/**
 * Where the model's weights come from: .npz and .json files read and written, Xavier-uniform
 * weights drawn from a seed, and the serializable source every worker loads them from.
 */
package dev.beamattention.weights;
