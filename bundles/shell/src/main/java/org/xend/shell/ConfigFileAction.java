package org.xend.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.config.VmConfig;

/** The commands that read a configuration file: {@code xm:new}, {@code xm:create} and {@code xm:dryrun}. */
abstract class ConfigFileAction extends XmAction {

    @Argument(index = 0, name = "file", required = true,
            description = "The configuration: an xm/xl file or SXP (looked up in /etc/xen too, as xm did)")
    @Completion(FileCompleter.class)
    String file;

    @Argument(index = 1, name = "VAR=VAL", multiValued = true,
            description = "Settings that override the file's, as xm create took them")
    List<String> variables;

    @Option(name = "-F", aliases = "--sxp",
            description = "Read the file as SXP (without it, a file whose first character is '(' is SXP)")
    boolean forceSxp;

    @Reference
    List<ConfigFormat> formats;

    /** The file's configuration, through the format service that reads it. */
    VmConfig load() throws CommandException {
        Path path = ConfigFiles.locate(file, currentDir(), ConfigFiles.SEARCH_PATH);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandException("Unable to read config file " + path + ": " + e.getMessage());
        }
        Map<String, String> overrides = ConfigFiles.overrides(variables);
        return ConfigReader.read(path.toString(), text, forceSxp, overrides, formats);
    }

    /** The SXP the daemon would get for the configuration (xm's dry run). */
    String sxp(VmConfig config) throws CommandException {
        return ConfigReader.format(ConfigReader.SXP, formats).write(config);
    }

    /** xm's dry run: print what would be sent, and do nothing. */
    void printDryRun(PrintStream out, VmConfig config) throws CommandException {
        String text = sxp(config);
        out.print(text.endsWith("\n") ? text : text + "\n");
    }
}
