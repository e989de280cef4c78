package dev.mcpgateway.search;

import java.util.List;
import java.util.Locale;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;

/** The Lucene fields of one indexed tool, and the document that holds them. */
final class ToolFields {
  static final String NAME = "name";
  static final String TITLE = "title";
  static final String DESCRIPTION = "description";
  static final String PARAMS = "params";
  /** The whole name, lower-cased, unanalysed: a query word that is a tool's name finds it first. */
  static final String EXACT = "exact";
  /** The {@code {server}_} prefix of a portal name ({@link #serverTerms}), unanalysed. */
  static final String SERVER = "server";
  /** The tool's rank in name order, to check that doc ids follow it. */
  static final String ORD = "ord";
  /** MCP names are at most 128 characters; a longer one (a hostile upstream) is still found by its words. */
  private static final int MAX_EXACT_NAME = 1_000;

  private ToolFields() {}

  static Document document(ToolText text, int ord) {
    Document doc = new Document();
    doc.add(new TextField(NAME, text.name(), Field.Store.NO));
    doc.add(new TextField(TITLE, text.titles(), Field.Store.NO));
    doc.add(new TextField(DESCRIPTION, text.description(), Field.Store.NO));
    doc.add(new TextField(PARAMS, text.params(), Field.Store.NO));
    if (text.name().length() <= MAX_EXACT_NAME) doc.add(new StringField(EXACT, text.name().toLowerCase(Locale.ROOT), Field.Store.NO));
    for (String server : serverTerms(text.name())) doc.add(new StringField(SERVER, server, Field.Store.NO));
    doc.add(new NumericDocValuesField(ORD, ord));
    return doc;
  }

  /**
   * The {@code {server}_} prefix of a portal name as a query may write it: as is and, for an id like
   * {@code google-drive}, joined ({@code googledrive}). Its words are in the name field already; this
   * keeps the server id a searchable term of its own without lengthening the name.
   */
  static List<String> serverTerms(String name) {
    int underscore = name.indexOf('_');
    if (underscore <= 0) return List.of();
    String server = name.substring(0, underscore).toLowerCase(Locale.ROOT);
    String joined = server.replace("-", "");
    return joined.equals(server) || joined.isEmpty() ? List.of(server) : List.of(server, joined);
  }
}
