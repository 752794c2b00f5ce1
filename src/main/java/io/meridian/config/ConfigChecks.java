package io.meridian.config;

import io.meridian.config.HttpClientConfig.TlsConfig;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * The checks {@code promtool check config} makes beyond the file itself: that rule files exist,
 * that credential and client certificate files of scrape configs exist, and that file_sd files that
 * exist hold target groups (a missing one is only a warning).
 */
public final class ConfigChecks {

  /**
   * What the checks found.
   *
   * @param warnings lines to show, in promtool's words
   * @param ruleFiles the rule files the {@code rule_files} globs match, in order
   */
  public record Result(List<String> warnings, List<Path> ruleFiles) {
    public Result {
      warnings = List.copyOf(warnings);
      ruleFiles = List.copyOf(ruleFiles);
    }
  }

  private ConfigChecks() {}

  /**
   * Checks the files {@code config}, read from {@code file}, refers to.
   *
   * @throws ConfigException for the first missing or bad file (with the field, without a line)
   */
  public static Result check(PrometheusConfig config, String file) throws ConfigException {
    List<Path> rules = new ArrayList<>();
    for (int i = 0; i < config.ruleFiles().size(); i++) {
      String pattern = config.ruleFiles().get(i);
      List<Path> matched = glob(pattern, file, "rule_files[" + i + "]");
      if (matched.isEmpty() && !hasMeta(pattern)) {
        throw new ConfigException(
            file,
            0,
            0,
            "rule_files[" + i + "]",
            quote(pattern) + " does not point to an existing file");
      }
      rules.addAll(matched);
    }
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < config.scrapeConfigs().size(); i++) {
      ScrapeConfig sc = config.scrapeConfigs().get(i);
      String path = "scrape_configs[" + i + "]";
      HttpClientConfig http = sc.httpClient();
      if (http.authorization().isPresent()) {
        String f = http.authorization().get().credentialsFile();
        if (!f.isEmpty() && !Files.exists(Path.of(f))) {
          throw new ConfigException(
              file,
              0,
              0,
              path,
              "error checking authorization credentials or bearer token file "
                  + quote(f)
                  + ": stat "
                  + f
                  + ": no such file or directory");
        }
      }
      checkTls(http.tls(), file, path + ".tls_config");
      for (int j = 0; j < sc.fileSdConfigs().size(); j++) {
        String sdPath = path + ".file_sd_configs[" + j + "]";
        for (String pattern : sc.fileSdConfigs().get(j).files()) {
          List<Path> matched = glob(pattern, file, sdPath);
          if (matched.isEmpty()) {
            warnings.add(
                "file "
                    + quote(pattern)
                    + " for file_sd in scrape job "
                    + quote(sc.jobName())
                    + " does not exist");
          }
          for (Path m : matched) {
            checkTargetGroups(m, file, sdPath);
          }
        }
      }
    }
    return new Result(warnings, rules);
  }

  private static void checkTls(TlsConfig tls, String file, String path) throws ConfigException {
    if (tls.certFile().isEmpty() || tls.keyFile().isEmpty()) {
      return;
    }
    for (String[] f :
        List.of(new String[] {"cert", tls.certFile()}, new String[] {"key", tls.keyFile()})) {
      if (!Files.exists(Path.of(f[1]))) {
        throw new ConfigException(
            file,
            0,
            0,
            path,
            "error checking client "
                + f[0]
                + " file "
                + quote(f[1])
                + ": stat "
                + f[1]
                + ": no such file or directory");
      }
    }
  }

  /** Checks that a file_sd file holds a list of target groups. */
  private static void checkTargetGroups(Path sdFile, String file, String path)
      throws ConfigException {
    String prefix = "checking SD file " + quote(sdFile.toString()) + ": ";
    try {
      TargetGroupFiles.read(sdFile);
    } catch (CharacterCodingException e) {
      throw new ConfigException(file, 0, 0, path, prefix + "not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException(file, 0, 0, path, prefix + e.getMessage());
    } catch (ConfigException e) {
      throw new ConfigException(file, 0, 0, path, prefix + e.getMessage());
    }
  }

  /**
   * The files a Go {@code filepath.Glob} pattern matches, sorted. Meta characters count only in the
   * last path element, which is all Prometheus allows a {@code *} in.
   */
  static List<Path> glob(String pattern, String file, String path) throws ConfigException {
    if (!hasMeta(pattern)) {
      Path p = Path.of(pattern);
      return Files.exists(p) ? List.of(p) : List.of();
    }
    Path p = Path.of(pattern);
    Path dir = p.getParent();
    PathMatcher m;
    try {
      m = FileSystems.getDefault().getPathMatcher("glob:" + p.getFileName());
    } catch (PatternSyntaxException e) {
      throw new ConfigException(file, 0, 0, path, "syntax error in pattern");
    }
    List<Path> out = new ArrayList<>();
    Path listed = dir == null ? Path.of("") : dir;
    if (!Files.isDirectory(dir == null ? Path.of(".") : dir)) {
      return List.of();
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir == null ? Path.of(".") : dir)) {
      for (Path e : ds) {
        if (m.matches(e.getFileName())) {
          out.add(listed.resolve(e.getFileName()));
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    out.sort(null);
    return out;
  }

  private static boolean hasMeta(String pattern) {
    return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
