package dev.mcpgateway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolAnalyzerTest {
  private static final SearchTuning T = SearchTuning.DEFAULT;
  private static final ToolAnalyzer ANALYZER = new ToolAnalyzer(T.stemmer(), T.abbreviations(), T.catenate());

  static List<String> terms(ToolAnalyzer analyzer, String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream(ToolFields.DESCRIPTION, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) out.add(term.toString());
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static List<String> terms(String text) {
    return terms(ANALYZER, text);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // identifiers split into their words, the joined form kept
      "github_list_issues          | github list issue githublistissue",
      "get-env                     | get env environment getenv",
      "messageType                 | message type messagetype",
      "toggle-simulated-logging    | toggle simulated log togglesimulatedlogg",
      // the {server}_ prefix of a portal name gives its words, a hyphenated id its joined form too
      "google-drive_upload_file    | google drive upload file googledriveuploadfile",
      // letters with digits stay whole; digits alone are words
      "s3_put_object               | s3 put object s3putobject",
      "oauth2 ec2                  | oauth2 ec2",
      "tool-000                    | tool 000",
      // English stop words, question words and possessives go; stems meet (both sides alike: "pari")
      "what's the weather in Paris | weather pari",
      "the client's roots          | client root",
      "Returns the sum of two numbers | return sum two number",
      "issues messages created databases | issue message create database",
      // abbreviations also as their word; accents folded
      "repo db                     | repo repository db database",
      "café naïve                  | cafe naive",
  })
  void splitsStopsAndStems(String text, String expected) {
    List<String> want = Arrays.asList(expected.strip().split("\\s+"));
    List<String> got = terms(text.strip());
    assertEquals(want.stream().sorted().toList(), got.stream().sorted().distinct().toList(), () -> text + " -> " + got);
  }

  @Test
  void onlyStopWordsAndPunctuationLeaveNothing() {
    assertEquals(List.of(), terms("the of and a to in"));
    assertEquals(List.of(), terms("what can you please"));
    assertEquals(List.of(), terms("*** --- ::: ..."));
    assertEquals(List.of(), terms(""));
  }

  @Test
  void luceneSyntaxIsJustText() {
    assertEquals(List.of("github", "name", "namegithub"), terms("name:github AND *").stream().sorted().distinct().toList());
  }

  @Test
  void stemmersDiffer() {
    ToolAnalyzer porter = new ToolAnalyzer(ToolAnalyzer.Stemmer.PORTER, false, false);
    ToolAnalyzer minimal = new ToolAnalyzer(ToolAnalyzer.Stemmer.MINIMAL, false, false);
    ToolAnalyzer none = new ToolAnalyzer(ToolAnalyzer.Stemmer.NONE, false, false);
    assertEquals(List.of("compress"), terms(porter, "compresses"));
    assertEquals(List.of("gener"), terms(porter, "generate"));
    assertEquals(List.of("issue"), terms(minimal, "issues"));
    assertEquals(List.of("running"), terms(minimal, "running"));
    assertEquals(List.of("issues"), terms(none, "issues"));
  }

  @Test
  void everyAbbreviationIsOneWordForOneWord() {
    ToolAnalyzer.ABBREVIATIONS.forEach((abbreviation, word) -> {
      assertTrue(abbreviation.matches("[a-z0-9]+") && word.matches("[a-z]+"), abbreviation + " -> " + word);
      assertTrue(terms(abbreviation).containsAll(terms(word)), abbreviation + " also finds " + word);
    });
  }
}
