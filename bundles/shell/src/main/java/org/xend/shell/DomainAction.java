package org.xend.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

/** A command on one VM, given as xm took it: a name, a domid or a uuid. */
abstract class DomainAction extends XmAction {

    @Argument(index = 0, name = "dom", required = true, description = "The VM: its name, domid or uuid")
    @Completion(DomainCompleter.class)
    String dom;
}
