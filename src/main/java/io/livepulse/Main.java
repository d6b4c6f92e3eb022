package io.livepulse;

import io.livepulse.demo.SimulateCommand;
import io.livepulse.push.PushCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar livepulse.jar [serve] [options]}: subcommands, with {@code serve} the default. */
@Command(name = "livepulse", mixinStandardHelpOptions = true, version = "LivePulse 0.1.0",
    description = "Real-time dashboard server for live-stream commerce.",
    subcommands = {ServeCommand.class, PushCommand.class, SimulateCommand.class})
public final class Main {
  public static void main(String[] args) {
    Logging.configure();
    String[] full = withDefaultSubcommand(args);
    if (full.length > 0 && (full[0].equals("push") || full[0].equals("simulate"))) {
      // A command-line tool prints its own messages only, not the libraries' log lines.
      Logging.quiet();
    }
    System.exit(commandLine().execute(full));
  }

  /**
   * A mistake on the command line gets picocli's one-line message and a pointer to --help, not the
   * whole usage; an unexpected failure gets one line, its stack trace only at debug level.
   */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setParameterExceptionHandler((ex, args) -> {
      CommandLine sub = ex.getCommandLine();
      sub.getErr().println("livepulse: " + ex.getMessage());
      String name = sub.getParent() == null ? "livepulse" : "livepulse " + sub.getCommandName();
      sub.getErr().println("run '" + name + " --help' for the options");
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, sub, parsed) -> {
      java.util.logging.Logger.getLogger(Main.class.getName()).log(java.util.logging.Level.FINE, "failed", ex);
      sub.getErr().println("livepulse: " + StartupError.rootMessage(ex));
      return 2;
    });
    return cli;
  }

  /** No subcommand means {@code serve}, so {@code java -jar livepulse.jar --port 9000} just works. */
  static String[] withDefaultSubcommand(String[] args) {
    boolean topLevelFlag = args.length > 0 && (args[0].equals("-h") || args[0].equals("--help")
        || args[0].equals("-V") || args[0].equals("--version"));
    if (args.length == 0 || (args[0].startsWith("-") && !topLevelFlag)) {
      String[] withServe = new String[args.length + 1];
      withServe[0] = "serve";
      System.arraycopy(args, 0, withServe, 1, args.length);
      return withServe;
    }
    return args;
  }
}
