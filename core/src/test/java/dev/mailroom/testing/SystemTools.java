package dev.mailroom.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system's tools that judge Mailroom's output (dkimpy, munpack, ripmime, ...) and installs missing
 * Debian packages for them, every step bounded in time. Tests that need such a tool skip themselves with the
 * reason when it cannot be had.
 */
public final class SystemTools {
  private SystemTools() {}

  /**
   * Runs a command, its output discarded.
   *
   * @param cmd the command and its arguments
   * @param dir the working directory, or null for the current one
   * @param seconds the most it may take; then it is killed
   * @return its exit code, or -1 if it could not start, timed out or was interrupted
   */
  public static int run(List<String> cmd, Path dir, int seconds) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      Process p = pb.start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Installs Debian packages with apt-get (as root), refreshing the package index once if the first try
   * fails; each step bounded to five minutes.
   *
   * @param packages the packages
   * @return false if there is no apt-get or the installation failed
   */
  public static boolean aptInstall(String... packages) {
    if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      return false;
    }
    List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
    install.addAll(List.of(packages));
    if (run(install, null, 300) == 0) {
      return true;
    }
    run(List.of("apt-get", "update"), null, 300);
    return run(install, null, 300) == 0;
  }
}
