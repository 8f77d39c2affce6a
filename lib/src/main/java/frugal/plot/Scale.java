package frugal.plot;

/** An axis scale. Log axes need strictly positive data. */
public enum Scale {
    LINEAR,
    LOG
}
