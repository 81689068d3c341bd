package io.p2sgw.cli.testing;

import io.p2sgw.cli.support.Terminal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** A terminal that gives scripted answers and records the prompts; install with {@link Terminal#forTests}. */
public final class ScriptedTerminal implements Terminal {
    private final Deque<String> answers;
    private final List<String> prompts = new ArrayList<>();

    public ScriptedTerminal(String... answers) {
        this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public synchronized Optional<String> readLine(String prompt) {
        prompts.add(prompt);
        return Optional.ofNullable(answers.poll());
    }

    @Override
    public synchronized Optional<char[]> readPassword(String prompt) {
        prompts.add(prompt);
        return Optional.ofNullable(answers.poll()).map(String::toCharArray);
    }

    public synchronized List<String> prompts() {
        return List.copyOf(prompts);
    }
}
