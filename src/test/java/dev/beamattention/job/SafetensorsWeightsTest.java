package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.core.Tolerances;
import dev.beamattention.testing.OutputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights from {@code .safetensors} files that PyTorch models were saved to (by {@code
 * src/test/resources/safetensors/make_safetensors.py}, with the safetensors library): the job's
 * contextual vectors and attention weights equal PyTorch's own attention on the same sentences.
 */
class SafetensorsWeightsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DIR = Path.of("src/test/resources/safetensors");

  private static void assertMatchesPyTorch(String model, Path out, String... options)
      throws IOException {
    String[] args = Arrays.copyOf(options, options.length + 3);
    args[options.length] = "--input=" + DIR.resolve(model + "-sentences.jsonl");
    args[options.length + 1] = "--weights=" + DIR.resolve(model + ".safetensors");
    args[options.length + 2] = "--output=" + out;
    OutputFiles.JobRun run = OutputFiles.runJob(args);
    assertEquals(0, run.status(), run.err());

    Map<String, JsonNode> expected = new HashMap<>();
    for (String line : Files.readAllLines(DIR.resolve(model + "-expected.jsonl"))) {
      JsonNode e = JSON.readTree(line);
      expected.put(e.get("id").asText(), e);
    }
    List<String> contextual = OutputFiles.lines(out, "contextual");
    List<String> attention = OutputFiles.lines(out, "attention");
    assertEquals(expected.size(), contextual.size(), model);
    assertEquals(expected.size(), attention.size(), model);
    for (String line : contextual) {
      JsonNode c = JSON.readTree(line);
      String id = c.get("id").asText();
      assertClose(expected.get(id).get("output"), c.get("output"), model + " " + id + " output");
    }
    for (String line : attention) {
      JsonNode a = JSON.readTree(line);
      String id = a.get("id").asText();
      assertClose(expected.get(id).get("weights"), a.get("weights"), model + " " + id + " weights");
    }
  }

  private static void assertClose(JsonNode expected, JsonNode actual, String where) {
    if (expected.isArray()) {
      assertEquals(expected.size(), actual.size(), where);
      for (int i = 0; i < expected.size(); i++) {
        assertClose(expected.get(i), actual.get(i), where + "[" + i + "]");
      }
      return;
    }
    double e = expected.doubleValue();
    double a = actual.doubleValue();
    assertTrue(Math.abs(e - a) <= Tolerances.GOLDEN, where + ": " + a + " vs PyTorch's " + e);
  }

  @Test
  void torchMultiheadAttentionWithHeadsFromTheMetadata(@TempDir Path dir) throws IOException {
    assertMatchesPyTorch(
        "torch-mha",
        dir,
        "--weightsLayout=torch-mha",
        "--weightsPrefix=encoder.layers.0.self_attn.");
    JsonNode run = JSON.readTree(dir.resolve("run.json").toFile());
    assertEquals(2, run.get("weights").get("heads").asInt());
    assertEquals("torch-mha", run.get("options").get("weightsLayout").asText());
  }

  @Test
  void bertSelfAttentionSavedAsFloat32(@TempDir Path dir) throws IOException {
    assertMatchesPyTorch(
        "bert", dir, "--weightsLayout=bert", "--weightsPrefix=bert.encoder.layer.1.", "--heads=3");
  }

  @Test
  void gpt2AttentionSavedAsBfloat16AndFloat16IsCausal(@TempDir Path dir) throws IOException {
    assertMatchesPyTorch(
        "gpt2", dir, "--weightsLayout=gpt2", "--weightsPrefix=transformer.h.0.", "--causal");
  }

  @Test
  void unusableSafetensorsOptionsAndFilesAreOneLineAndExitTwo(@TempDir Path dir)
      throws IOException {
    String in = "--input=" + DIR.resolve("bert-sentences.jsonl");
    String out = "--output=" + dir.resolve("out");
    String bert = "--weights=" + DIR.resolve("bert.safetensors");
    assertRefused(
        "needs --heads",
        "the file's metadata does not say how many heads",
        in,
        out,
        bert,
        "--weightsLayout=bert",
        "--weightsPrefix=bert.encoder.layer.1.");
    assertRefused(
        "wrong prefix",
        "the file has no tensor 'encoder.layer.1.attention.self.query.weight' (--weightsLayout=bert):"
            + " give --weightsPrefix to pick one of bert.encoder.layer.1.attention.self.query.weight",
        in,
        out,
        bert,
        "--weightsLayout=bert",
        "--weightsPrefix=encoder.layer.1.",
        "--heads=3");
    assertRefused(
        "heads against the metadata",
        "the file's metadata says 2 heads (n_head), not 4: give --heads=2",
        "--input=" + DIR.resolve("gpt2-sentences.jsonl"),
        out,
        "--weights=" + DIR.resolve("gpt2.safetensors"),
        "--weightsLayout=gpt2",
        "--weightsPrefix=transformer.h.0.",
        "--heads=4");
    assertRefused(
        "a layout for a .npz",
        "--weightsLayout and --weightsPrefix read .safetensors weights",
        in,
        out,
        "--weights=w.npz",
        "--weightsLayout=bert");
    assertRefused(
        "unknown layout",
        "--weightsLayout must be plain, torch-mha, bert or gpt2, got 'llama'",
        in,
        out,
        bert,
        "--weightsLayout=llama");

    byte[] whole = Files.readAllBytes(DIR.resolve("bert.safetensors"));
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(whole, whole.length - 10));
    assertRefused(
        "truncated",
        "past its",
        in,
        out,
        "--weights=" + cut,
        "--weightsLayout=bert",
        "--weightsPrefix=bert.encoder.layer.1.",
        "--heads=3");
  }

  private static void assertRefused(String what, String part, String... args) {
    OutputFiles.JobRun run = OutputFiles.runJob(args);
    assertEquals(2, run.status(), what + ": " + run.err());
    assertEquals(1, run.err().lines().count(), what + ": " + run.err());
    assertTrue(run.err().startsWith("beam-attention: "), what + ": " + run.err());
    assertTrue(run.err().contains(part), what + ": " + run.err());
  }
}
