package dev.storyboard.app.doctor;

/** Result of one doctor check: what was checked, whether it passed, and the facts found. */
public record Check(String name, Outcome outcome, String detail) {
    public enum Outcome { OK, FAIL }

    public static Check ok(String name, String detail) {
        return new Check(name, Outcome.OK, detail);
    }

    public static Check fail(String name, String detail) {
        return new Check(name, Outcome.FAIL, detail);
    }

    public boolean passed() {
        return outcome == Outcome.OK;
    }
}
