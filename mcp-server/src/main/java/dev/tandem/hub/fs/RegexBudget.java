package dev.tandem.hub.fs;

import java.util.Optional;

/**
 * Refuses a regular expression whose RE2 program would be large, before RE2/J compiles it.
 *
 * <p>RE2/J is linear in the text, not in the pattern: it expands each counted repetition into copies of what it
 * repeats, so nested counts multiply ({@code ((a{1000}){1000}){4}}, 23 characters, is four million instructions,
 * seconds of CPU and hundreds of MB). RE2 (C++) and Go's regexp refuse nested counts whose product exceeds 1000;
 * RE2/J does not. This pre-parse applies that rule, a nesting depth and an upper bound on the program's size, read
 * from the pattern alone: a repetition {@code x{n,m}} is counted as {@code max(n,m)} copies of its operand plus one
 * instruction each, every other atom as at most one instruction per character. It is conservative: it never
 * under-counts a pattern RE2/J accepts (checked against RE2/J's own program size), and may refuse a few odd but
 * valid patterns, with an error naming the limit.
 */
final class RegexBudget {
    /** The longest pattern compiled, in characters. */
    static final int MAX_CHARS = 4096;
    /** The largest product of nested counted repetitions, as RE2 and Go's regexp allow. */
    static final int MAX_REPEAT_PRODUCT = 1000;
    /** The deepest nesting of groups. */
    static final int MAX_DEPTH = 100;
    /** The most RE2 instructions a pattern may compile to (RE2/J uses about 70 bytes each). */
    static final int MAX_PROGRAM = 20_000;

    private final String source;
    private int at;
    private int depth;

    private RegexBudget(String source) {
        this.source = source;
    }

    /**
     * Checks {@code source}, the pattern about to be compiled for {@code query}; throws an {@link FsException} naming
     * {@code query} and the limit when it is too large.
     */
    static void check(String query, String source) {
        if (query.length() > MAX_CHARS) {
            throw new FsException("query: " + query.length() + " characters is too long for a regular expression or an"
                    + " ignore_case search; the limit is " + MAX_CHARS);
        }
        long size = estimate(source);
        if (size > MAX_PROGRAM) {
            throw new FsException(
                    "query: the regular expression would compile to about " + size + " RE2 instructions; the limit is "
                            + MAX_PROGRAM + " (counted repetitions repeat what they apply to)");
        }
    }

    /** Returns an upper bound on the RE2/J program size of {@code source}; throws when a nesting limit is passed. */
    static long estimate(String source) {
        RegexBudget b = new RegexBudget(source);
        long size = 0;
        while (b.at < source.length()) {
            size = add(size, b.alternation().size());
            if (b.at < source.length()) {
                b.at++; // an unbalanced ')': RE2 refuses it, go on counting
                size = add(size, 1);
            }
        }
        return add(size, 4); // the match and fail instructions, and slack
    }

    /** The size bound of a sub-expression and the largest product of counted repetitions nested in it. */
    private record Part(long size, long product) {}

    private Part alternation() {
        long size = 0;
        long product = 1;
        while (true) {
            Part p = concatenation();
            size = add(size, p.size());
            product = Math.max(product, p.product());
            if (at < source.length() && source.charAt(at) == '|') {
                at++;
                size = add(size, 1);
            } else {
                return new Part(size, product);
            }
        }
    }

    /**
     * Sums the pieces of a branch. A quantifier applies to the piece before it, also across flags such as {@code
     * (?i)}, which are no piece: {@code x{10}(?i){10}} repeats x a hundred times.
     */
    private Part concatenation() {
        long size = 1; // an empty branch is one instruction
        long product = 1;
        Optional<Part> last = Optional.empty();
        while (at < source.length() && source.charAt(at) != '|' && source.charAt(at) != ')') {
            if (last.isPresent() && quantifierAt()) {
                last = Optional.of(repeated(last.get()));
            } else if (flagsAt()) {
                at = source.indexOf(')', at) + 1;
            } else {
                if (last.isPresent()) {
                    size = add(size, last.get().size());
                    product = Math.max(product, last.get().product());
                }
                last = Optional.of(atom());
            }
        }
        if (last.isPresent()) {
            size = add(size, last.get().size());
            product = Math.max(product, last.get().product());
        }
        return new Part(size, product);
    }

    private boolean quantifierAt() {
        char c = source.charAt(at);
        return c == '*' || c == '+' || c == '?' || (c == '{' && countEnd(at) > at);
    }

    /** Returns whether flags such as {@code (?i)} or {@code (?-s)} start here: no group, nothing to repeat. */
    private boolean flagsAt() {
        if (!source.startsWith("(?", at)) {
            return false;
        }
        int j = at + 2;
        while (j < source.length() && (Character.isLetter(source.charAt(j)) || source.charAt(j) == '-')) {
            j++;
        }
        return j < source.length() && source.charAt(j) == ')' && j > at + 2;
    }

    private Part atom() {
        char c = source.charAt(at);
        if (c == '(') {
            return group();
        }
        int start = at;
        if (c == '[') {
            at = classEnd(at);
        } else if (c == '\\') {
            at = escapeEnd(at);
        } else {
            at += 1;
        }
        if (source.startsWith("\\Q", start)) {
            return new Part(at - start, 1); // one instruction a character at most
        }
        return new Part(1, 1);
    }

    private Part group() {
        if (++depth > MAX_DEPTH) {
            throw new FsException("query: the regular expression nests groups deeper than " + MAX_DEPTH);
        }
        at++;
        if (source.startsWith("?", at)) {
            int close = at;
            while (close < source.length() && ":)>".indexOf(source.charAt(close)) < 0) {
                close++;
            }
            at = Math.min(close + 1, source.length());
        }
        Part inner = alternation();
        if (at < source.length()) {
            at++; // the closing ')'
        }
        depth--;
        return new Part(add(inner.size(), 2), inner.product()); // a capturing group's two instructions
    }

    /** Applies the quantifier at {@code at}: {@code * + ?} add a loop, {@code {n,m}} copies what it repeats. */
    private Part repeated(Part p) {
        if (source.charAt(at) != '{') {
            at++;
            return new Part(add(p.size(), 2), p.product());
        }
        int start = at;
        at = countEnd(at);
        String count = source.substring(start + 1, at - 1);
        long product = mul(p.product(), Math.max(1, bound(count)));
        if (product > MAX_REPEAT_PRODUCT) {
            throw new FsException("query: counted repetitions nested in one another repeat " + product
                    + " times; the limit is " + MAX_REPEAT_PRODUCT + " (as in RE2)");
        }
        // read as a count: copies plus a branch each; read as text: what it follows and the braces
        long size = Math.max(add(mul(copies(count), add(p.size(), 1)), 1), add(p.size(), at - start));
        return new Part(size, product);
    }

    /** Returns the end of a count {@code {n}}, {@code {n,}} or {@code {n,m}} starting at {@code i}, or {@code i}. */
    private int countEnd(int i) {
        int j = i + 1;
        int digits = 0;
        boolean comma = false;
        while (j < source.length() && j - i <= 20) {
            char c = source.charAt(j);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == ',' && !comma && digits > 0) {
                comma = true;
            } else {
                return c == '}' && digits > 0 ? j + 1 : i;
            }
            j++;
        }
        return i;
    }

    /** Returns how many copies {@code n}, {@code n,} or {@code n,m} makes: the larger bound, or n+1 unbounded. */
    private static long copies(String count) {
        int comma = count.indexOf(',');
        if (comma < 0) {
            return parse(count);
        }
        long min = parse(count.substring(0, comma));
        return comma == count.length() - 1 ? min + 1 : Math.max(min, parse(count.substring(comma + 1)));
    }

    /** Returns the count RE2 and Go weigh for nesting: the upper bound, or the lower one when there is none. */
    private static long bound(String count) {
        int comma = count.indexOf(',');
        return comma < 0 || comma == count.length() - 1
                ? parse(count.substring(0, comma < 0 ? count.length() : comma))
                : parse(count.substring(comma + 1));
    }

    private static long parse(String digits) {
        return digits.length() > 9 ? Long.MAX_VALUE / 4 : Long.parseLong(digits);
    }

    private int escapeEnd(int i) {
        if (source.startsWith("\\Q", i)) {
            int e = source.indexOf("\\E", i + 2);
            return e < 0 ? source.length() : e + 2;
        }
        int j = Math.min(i + 2, source.length());
        boolean named = "xpP".indexOf(source.charAt(j - 1)) >= 0;
        if (j < source.length() && source.charAt(j) == '{' && named) {
            int close = source.indexOf('}', j);
            return close < 0 ? source.length() : close + 1;
        }
        return named && j < source.length() && source.charAt(j - 1) != 'x' ? j + 1 : j; // \pL
    }

    /** Returns the index after the class starting at {@code i}: {@code ]} first is a member, {@code [:name:]} too. */
    private int classEnd(int i) {
        int j = i + 1;
        if (j < source.length() && source.charAt(j) == '^') {
            j++;
        }
        if (j < source.length() && source.charAt(j) == ']') {
            j++;
        }
        while (j < source.length()) {
            char c = source.charAt(j);
            if (c == ']') {
                return j + 1;
            }
            if (c == '[' && source.startsWith("[:", j) && source.indexOf(":]", j + 2) > 0) {
                j = source.indexOf(":]", j + 2) + 2;
            } else if (c == '\\') {
                j = escapeEnd(j);
            } else {
                j++;
            }
        }
        return j;
    }

    private static long add(long a, long b) {
        return Math.min(a + b, Long.MAX_VALUE / 4);
    }

    private static long mul(long a, long b) {
        return a != 0 && b > (Long.MAX_VALUE / 4) / a ? Long.MAX_VALUE / 4 : a * b;
    }
}
