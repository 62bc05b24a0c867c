package dev.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The raw result of one workload on one database: a JSON document and a readable summary. */
final class Report {
  static final JsonMapper OUT =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  final String workload;
  final String db;
  final Map<String, Object> data = new LinkedHashMap<>();
  final List<String> lines = new ArrayList<>();

  Report(String workload, String db) {
    this.workload = workload;
    this.db = db;
  }

  void put(String key, Object value) {
    data.put(key, value);
  }

  void line(String format, Object... args) {
    String s = args.length == 0 ? format : String.format(format, args);
    lines.add(s);
    System.out.println("  " + s);
    System.out.flush();
  }

  /** Writes {@code <stamp>-<workload>-<db>.json} and {@code .txt}; answers the text file. */
  Path write(Path dir, String stamp, Machine machine, Map<String, Object> target) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("workload", workload);
    doc.put("database", db);
    doc.put("machine", machine);
    doc.put("target", target);
    doc.putAll(data);
    String base = stamp + "-" + workload + "-" + db;
    StringBuilder txt = new StringBuilder();
    txt.append("Herald benchmark: ").append(workload).append(" on ").append(db).append('\n');
    txt.append("machine: ").append(machine.oneLine()).append('\n');
    txt.append("measured at: ").append(machine.measuredAt()).append("\n\n");
    for (String l : lines) txt.append(l).append('\n');
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(base + ".json"), OUT.writeValueAsString(doc) + "\n");
      Path t = dir.resolve(base + ".txt");
      Files.writeString(t, txt);
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
