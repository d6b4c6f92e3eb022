package io.livepulse;

/**
 * A start-up failure the user can fix: its message names the setting and the rule or the cause, and
 * is printed alone (no stack trace) before the process exits with status 2.
 */
public final class StartupError extends RuntimeException {
  public StartupError(String message, Throwable cause) {
    super(message, cause);
  }

  public StartupError(String message) {
    super(message);
  }

  /** The innermost cause's message, first line only: what the user needs, not the whole chain. */
  public static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m;
    if (root instanceof java.nio.file.NoSuchFileException) {
      m = "no such file or directory";
    } else if (root instanceof java.nio.file.AccessDeniedException) {
      m = "permission denied";
    } else if (root instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      m = fs.getReason();
    } else {
      m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
      // Netty's epoll transport words a system call's failure as "bind(..) failed with error(-98):
      // Address already in use"; the user needs the last part, as Java NIO gives it.
      m = m.replaceFirst("^\\w+\\(\\.\\.\\) failed( with error\\(-?\\d+\\))?: ", "");
    }
    int cut = m.indexOf('\n');
    return (cut > 0 ? m.substring(0, cut) : m).strip();
  }
}
