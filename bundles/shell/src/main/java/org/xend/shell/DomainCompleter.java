package org.xend.shell;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.xend.api.XenApiException;
import org.xend.api.domain.DomainService;

/** Completes a DOM argument with the names of the VMs the daemon knows, Domain-0 included. */
@Service
public class DomainCompleter implements Completer {

    @Reference
    DomainService domains;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(names(domains), true).complete(session, commandLine, candidates);
    }

    static List<String> names(DomainService domains) {
        List<String> names = new ArrayList<>();
        for (String vm : domains.vms()) {
            try {
                names.add(DomainTable.name(domains.view(vm)));
            } catch (XenApiException gone) {
                // deleted since vms() listed it
            }
        }
        return names;
    }
}
