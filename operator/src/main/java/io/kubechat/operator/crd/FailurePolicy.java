package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** When a pod counts as failed and how many may be replaced at once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailurePolicy {
  public static final int DEFAULT_UNHEALTHY_AFTER_SECONDS = 60;

  @Default("60")
  @Min(5)
  @JsonPropertyDescription(
      "Seconds a pod may stay not ready (counted from its start or last Ready transition), or be"
          + " reported DEAD and unheard by a majority of its peers, before it is replaced; at least"
          + " 5, default 60.")
  private Integer unhealthyAfterSeconds = DEFAULT_UNHEALTHY_AFTER_SECONDS;

  @Default("1")
  @Min(1)
  @JsonPropertyDescription("Most pods being replaced at the same time; at least 1, default 1.")
  private Integer maxConcurrentReplacements = 1;

  public Integer getUnhealthyAfterSeconds() {
    return unhealthyAfterSeconds;
  }

  public void setUnhealthyAfterSeconds(Integer unhealthyAfterSeconds) {
    this.unhealthyAfterSeconds = unhealthyAfterSeconds;
  }

  public Integer getMaxConcurrentReplacements() {
    return maxConcurrentReplacements;
  }

  public void setMaxConcurrentReplacements(Integer maxConcurrentReplacements) {
    this.maxConcurrentReplacements = maxConcurrentReplacements;
  }
}
