package kaohe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The Java binding's tests, run by .ci/run from the repository root:
 * {@code java -Djava.library.path=target/debug -cp ... kaohe.KaoheTest}. Prints one line per
 * test and a closing "N passed, M failed"; exits 1 on any failure.
 */
public final class KaoheTest {
    private static int passed;
    private static int failed;

    interface Body {
        void run() throws Exception;
    }

    static void test(String name, Body body) {
        try {
            body.run();
            passed++;
            System.out.println("PASS " + name);
        } catch (Throwable t) {
            failed++;
            System.out.println("FAIL " + name + ": " + t);
        }
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    static KaoheException throwsKaohe(Body body) throws Exception {
        try {
            body.run();
        } catch (KaoheException e) {
            return e;
        }
        throw new AssertionError("expected a KaoheException");
    }

    public static void main(String[] args) throws Exception {
        String rules = Files.readString(Path.of("rulesets/miluo-2026/miluo-2026.rules"));
        String facts = Files.readString(Path.of("rulesets/miluo-2026/examples/2026-04.json"));
        if (args.length > 0) {
            Kaohe.load(Path.of(args[0]));
        }

        test("version", () -> check(Kaohe.version().startsWith("{\"api_version\":1,"), Kaohe.version()));

        test("check reports a bad ruleset without throwing", () -> {
            String json = Kaohe.check("bad.rules", "ruleset x {");
            check(json.contains("\"ok\":false"), json);
            check(json.contains("\"file\":\"bad.rules\",\"line\":1"), json);
        });

        test("compile refuses a bad ruleset with located errors", () -> {
            KaoheException e = throwsKaohe(() -> Kaohe.compile("bad.rules", "ruleset x {"));
            check(e.errorsJson().startsWith("{\"api_version\":1,\"errors\":[{\"code\":\"kaohe::"), e.errorsJson());
            check(e.errorsJson().contains("\"file\":\"bad.rules\""), e.errorsJson());
            check(e.getMessage().contains("error(s)"), e.getMessage());
        });

        try (CompiledRuleset miluo = Kaohe.compile("miluo-2026.rules", rules)) {
            test("check of a compiled ruleset", () -> check(miluo.check().contains("\"ok\":true"), miluo.check()));

            test("evaluate gives the evaluation JSON", () -> {
                String json = miluo.evaluate(facts);
                check(json.startsWith("{\"format_version\":1,"), json.substring(0, 40));
                check(json.contains("\"unit\":\"jtj\""), "jtj is scored");
                check(json.contains("\"clauses\":[\"ML-"), "items cite clauses");
            });

            test("evaluateUtf8 gives the same bytes as evaluate", () -> {
                byte[] bytes = miluo.evaluateUtf8(facts.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
                check(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).equals(miluo.evaluate(facts)), "same result");
                // Checked once, by the fact reader: its located error, as from every other door.
                KaoheException e = throwsKaohe(() -> miluo.evaluateUtf8(new byte[] {(byte) 0xff}, null));
                check(e.errorsJson().contains("\"code\":\"kaohe::facts::not_utf8\""), e.errorsJson());
                check(e.errorsJson().contains("\"line\":1,\"column\":1,\"path\":\"$\""), e.errorsJson());
                byte[] utf8 = facts.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                byte[] withBom = new byte[utf8.length + 3];
                withBom[0] = (byte) 0xEF;
                withBom[1] = (byte) 0xBB;
                withBom[2] = (byte) 0xBF;
                System.arraycopy(utf8, 0, withBom, 3, utf8.length);
                check(java.util.Arrays.equals(miluo.evaluateUtf8(withBom, null), bytes), "a byte-order mark is skipped");
            });

            test("a result does not depend on the calls before it (reused buffers)", () -> {
                // Long and short facts and results, in both directions, against a ruleset
                // compiled afresh for each call (whose buffers are new).
                String wide = facts.replace("\"教体局\"", "\"教体局\uD842\uDFB7é\"");
                String[][] calls = {
                    {facts, "{\"detail\":\"full\"}"}, {facts, "{\"detail\":\"totals\",\"unit\":\"jtj\"}"},
                    {wide, "{\"detail\":\"items\"}"}, {"{}", null}, {facts, "{\"detail\":\"totals\"}"},
                    {wide, "{\"detail\":\"full\"}"}, {"", null}, {facts, null},
                };
                for (String[] call : calls) {
                    String expected;
                    try (CompiledRuleset fresh = Kaohe.compile("miluo-2026.rules", rules)) {
                        try {
                            expected = fresh.evaluate(call[0], call[1]);
                        } catch (KaoheException e) {
                            expected = e.errorsJson();
                        }
                    }
                    String viaString;
                    String viaBytes;
                    try {
                        viaString = miluo.evaluate(call[0], call[1]);
                    } catch (KaoheException e) {
                        viaString = e.errorsJson();
                    }
                    try {
                        viaBytes = new String(miluo.evaluateUtf8(call[0].getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                call[1] == null ? null : call[1].getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                                java.nio.charset.StandardCharsets.UTF_8);
                    } catch (KaoheException e) {
                        viaBytes = e.errorsJson();
                    }
                    check(viaString.equals(expected), "String: " + call[1] + " " + viaString.length() + " vs " + expected.length());
                    check(viaBytes.equals(expected), "bytes: " + call[1] + " " + viaBytes.length() + " vs " + expected.length());
                }
            });

            test("evaluate keeps every character across UTF-16 and refuses a lone surrogate", () -> {
                // A supplementary-plane character (a surrogate pair in Java) in a unit name, a
                // Latin-1-only options string (a compact JVM string) and Chinese text elsewhere.
                String wide = facts.replace("\"教体局\"", "\"教体局\uD842\uDFB7é\"");
                check(!wide.equals(facts), "the example names 教体局");
                String json = miluo.evaluate(wide, "{\"detail\":\"full\"}");
                check(json.contains("教体局\uD842\uDFB7é"), "the name comes back whole");
                byte[] bytes = miluo.evaluateUtf8(wide.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "{\"detail\":\"full\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                check(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).equals(json), "the same as through UTF-8 bytes");
                KaoheException e = throwsKaohe(() -> miluo.evaluate(facts.replace("\"教体局\"", "\"教体局\uD842\"")));
                check(e.errorsJson().contains("kaohe::ffi::invalid_argument"), e.errorsJson());
                check(e.errorsJson().contains("not valid UTF-16"), e.errorsJson());
                // Its index, for a high surrogate without its low one, a low one alone, one at
                // the very end, and in the options.
                for (String bad : new String[] {
                    facts.replace("\"教体局\"", "\"教体局\uD842\""), facts.replace("\"教体局\"", "\"教体局\uDFB7\""), facts + "\uD842"
                }) {
                    int at = Math.max(bad.indexOf('\uD842'), bad.indexOf('\uDFB7'));
                    KaoheException lone = throwsKaohe(() -> miluo.evaluate(bad));
                    check(lone.errorsJson().contains("argument `facts` is not valid UTF-16: a lone surrogate at char index " + at + "\""),
                            lone.errorsJson());
                }
                KaoheException inOptions = throwsKaohe(() -> miluo.evaluate(facts, "{\"unit\":\"\uDFB7\"}"));
                check(inOptions.errorsJson().contains("argument `options` is not valid UTF-16: a lone surrogate at char index 9\""),
                        inOptions.errorsJson());
            });

            test("options select a unit and drop the items", () -> {
                String json = miluo.evaluate(facts, "{\"unit\":\"jtj\",\"detail\":\"totals\"}");
                check(json.contains("\"unit\":\"jtj\""), json);
                check(!json.contains("\"unit\":\"wjj\",\"name\":\"卫健局\",\"group\""), "only jtj's results (rankings stay whole)");
                check(json.contains("\"items\":[]"), "no items");
            });

            test("bad options are refused with their path", () -> {
                KaoheException e = throwsKaohe(() -> miluo.evaluate(facts, "{\"detail\":\"all\"}"));
                check(e.errorsJson().contains("\"code\":\"kaohe::api::invalid_options\""), e.errorsJson());
                check(e.errorsJson().contains("\"path\":\"$.detail\""), e.errorsJson());
            });

            test("fact errors carry JSON paths", () -> {
                KaoheException e = throwsKaohe(() -> miluo.evaluate("{\"as_of\":\"2026-06-10\",\"units\":[],\"records\":[{\"unit\":7}]}"));
                check(e.errorsJson().contains("\"code\":\"kaohe::facts::"), e.errorsJson());
                check(e.errorsJson().contains("\"path\":\"$.records[0]"), e.errorsJson());
            });

            test("null facts are refused, not a crash", () -> {
                KaoheException e = throwsKaohe(() -> miluo.evaluate(null));
                check(e.errorsJson().contains("kaohe::ffi::invalid_argument"), e.errorsJson());
            });

            test("schema", () -> check(miluo.schema().contains("\"type\":\"object\""), miluo.schema()));

            test("template and import of the blank ledger", () -> {
                byte[] xlsx = miluo.template();
                check(xlsx.length > 1000 && xlsx[0] == 'P' && xlsx[1] == 'K', "an .xlsx (zip) file");
                KaoheException e = throwsKaohe(() -> miluo.importLedger(xlsx));
                check(e.errorsJson().contains("\"code\":\"kaohe::ledger::"), e.errorsJson());
                check(e.errorsJson().contains("\"sheet\":\"说明\",\"cell\":\"B3\""), e.errorsJson());
                KaoheException junk = throwsKaohe(() -> miluo.importLedger(new byte[] {1, 2, 3}));
                check(junk.errorsJson().contains("\"code\":\"kaohe::ledger::"), junk.errorsJson());
                // The contract's `lang` option: the same errors, in Chinese.
                KaoheException zh = throwsKaohe(() -> miluo.importLedger(xlsx, "{\"lang\":\"zh\"}"));
                check(zh.errorsJson().contains("\"sheet\":\"说明\",\"cell\":\"B3\""), zh.errorsJson());
                check(zh.errorsJson().contains("考核日期"), zh.errorsJson());
            });

            test("diff of a ruleset with itself changes nothing", () -> {
                String json = Kaohe.diff("a.rules", rules, "b.rules", rules, facts);
                check(json.contains("\"units_changed_score\":0"), json);
            });

            test("eight threads evaluate one compiled ruleset, all alike", () -> {
                String expected = miluo.evaluate(facts);
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    List<Future<String>> results = new ArrayList<>();
                    for (int i = 0; i < 64; i++) {
                        results.add(pool.submit(() -> miluo.evaluate(facts)));
                    }
                    for (Future<String> r : results) {
                        check(r.get().equals(expected), "same output on every thread");
                    }
                } finally {
                    pool.shutdown();
                }
            });

            test("close is idempotent and a closed ruleset refuses work", () -> {
                CompiledRuleset other = Kaohe.compile("miluo-2026.rules", rules);
                other.close();
                other.close();
                KaoheException e = throwsKaohe(() -> other.evaluate(facts));
                check(e.errorsJson().contains("closed"), e.errorsJson());
            });
        }

        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
