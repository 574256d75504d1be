import java.nio.file.Files;
import java.nio.file.Path;

import kaohe.CompiledRuleset;
import kaohe.Kaohe;
import kaohe.KaoheException;

/** Scores Miluo's April 2026 from Java (run from the repository root; see docs/embedding.md). */
public class Example {
    public static void main(String[] args) throws Exception {
        String rules = Files.readString(Path.of("rulesets/miluo-2026/miluo-2026.rules"));
        String facts = Files.readString(Path.of("rulesets/miluo-2026/examples/2026-04.json"));

        // Compile once (a bad ruleset throws KaoheException with every diagnostic) ...
        try (CompiledRuleset miluo = Kaohe.compile("miluo-2026.rules", rules)) {
            // ... evaluate many times, from any thread: the evaluation JSON (format_version 1).
            String result = miluo.evaluate(facts, "{\"period\": \"2026-04\", \"detail\": \"totals\"}");
            System.out.println(result.substring(0, result.indexOf("\"periods\"")));

            // Errors are data: each with a stable code and where it is.
            try {
                miluo.evaluate("{\"as_of\": \"2026-06-10\", \"units\": [], \"records\": [{\"unit\": 7}]}");
            } catch (KaoheException e) {
                System.out.println(e.errorsJson());
            }
        }
    }
}
