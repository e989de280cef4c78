package dev.mcpgateway.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The context budget ({@code metrics.context_token_budget}): one WARNING when a server's or a
 * portal's full lists first cost more tokens than the budget, and one INFO when they are back
 * within it — once per crossing, however often the cost is computed again or agents list. Per
 * replica (each replica that computes the cost says it once). A budget of 0 never warns.
 */
public final class ContextBudget {
  private static final System.Logger LOG = System.getLogger(ContextBudget.class.getName());

  private final long budget;
  /** Whether each subject was over the budget when last checked. */
  private final Map<String, Boolean> over = new ConcurrentHashMap<>();

  public ContextBudget(long budget) {
    this.budget = budget;
  }

  /**
   * {@code subject} ("server acme/github") now costs {@code tokens}; {@code advice} ends the warning.
   * Answers whether it is over the budget.
   */
  public boolean check(String subject, long tokens, String advice) {
    if (budget <= 0) return false;
    boolean isOver = tokens > budget;
    Boolean was = over.put(subject, isOver);
    if (isOver && !Boolean.TRUE.equals(was)) {
      LOG.log(System.Logger.Level.WARNING, subject + ": its full tools/list and prompts/list cost an agent " + tokens + " tokens ("
          + ContextCost.ENCODING + ") in every conversation, over the context budget of " + budget
          + " (metrics.context_token_budget): " + advice);
    } else if (!isOver && Boolean.TRUE.equals(was)) {
      LOG.log(System.Logger.Level.INFO, subject + ": back within the context budget of " + budget + " tokens (" + tokens + ")");
    }
    return isOver;
  }

  /** The subject is gone: a new one of the same name starts afresh. */
  public void forget(String subject) {
    over.remove(subject);
  }
}
