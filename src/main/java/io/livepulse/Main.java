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
    System.exit(new CommandLine(new Main()).execute(withDefaultSubcommand(args)));
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
