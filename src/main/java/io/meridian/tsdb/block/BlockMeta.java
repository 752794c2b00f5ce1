package io.meridian.tsdb.block;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.storage.CorruptDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A block's {@code meta.json}, as Prometheus writes it. {@code maxTime} is exclusive: the block
 * holds samples with {@code minTime <= t < maxTime}.
 *
 * @param level compaction level: 1 for a block cut from the head or imported
 * @param sources the level-1 blocks this block was compacted from (itself, at level 1)
 */
public record BlockMeta(
    Ulid ulid,
    long minTime,
    long maxTime,
    long numSamples,
    long numSeries,
    long numChunks,
    long numTombstones,
    int level,
    List<Ulid> sources) {

  public static final String FILE = "meta.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public BlockMeta {
    sources = List.copyOf(sources);
  }

  /** Parses {@code dir/meta.json}. */
  public static BlockMeta read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    JsonNode n;
    try {
      n = JSON.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new CorruptDataException(file + ": not JSON: " + e.getOriginalMessage(), e);
    }
    try {
      int version = n.path("version").asInt(-1);
      if (version != 1) {
        throw new CorruptDataException(file + ": unsupported meta version " + version);
      }
      JsonNode stats = n.path("stats");
      JsonNode compaction = n.path("compaction");
      List<Ulid> sources = new ArrayList<>();
      for (JsonNode s : compaction.path("sources")) {
        sources.add(new Ulid(s.asText()));
      }
      return new BlockMeta(
          new Ulid(required(n, "ulid", file).asText()),
          required(n, "minTime", file).asLong(),
          required(n, "maxTime", file).asLong(),
          stats.path("numSamples").asLong(),
          stats.path("numSeries").asLong(),
          stats.path("numChunks").asLong(),
          stats.path("numTombstones").asLong(),
          compaction.path("level").asInt(1),
          sources);
    } catch (IllegalArgumentException e) {
      throw new CorruptDataException(file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode required(JsonNode n, String field, Path file)
      throws CorruptDataException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new CorruptDataException(file + ": field " + field + " missing");
    }
    return v;
  }

  /** Writes {@code dir/meta.json} (through a temporary file, then a rename). */
  public void write(Path dir) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("ulid", ulid.value());
    n.put("minTime", minTime);
    n.put("maxTime", maxTime);
    ObjectNode stats = n.putObject("stats");
    stats.put("numSamples", numSamples);
    stats.put("numSeries", numSeries);
    stats.put("numChunks", numChunks);
    if (numTombstones > 0) {
      stats.put("numTombstones", numTombstones);
    }
    ObjectNode compaction = n.putObject("compaction");
    compaction.put("level", level);
    ArrayNode src = compaction.putArray("sources");
    sources.forEach(u -> src.add(u.value()));
    n.put("version", 1);
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.writeString(tmp, JSON.writeValueAsString(n) + "\n");
    Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
