package org.liso.loop;

import java.io.IOException;
import org.liso.diag.BindDiagnosis;

/** A listening socket could not be bound; carries the diagnosis that every command prints the same way. */
public final class BindFailedException extends IOException {
    private final transient BindDiagnosis diagnosis;

    public BindFailedException(BindDiagnosis diagnosis, IOException cause) {
        super(diagnosis.paragraph(), cause);
        this.diagnosis = diagnosis;
    }

    public BindDiagnosis diagnosis() {
        return diagnosis;
    }
}
