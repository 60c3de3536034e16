package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/**
 * Client authentication of the chat pods: the mode and where the verification key comes from; the
 * key is mounted read-only into every pod (docs/security.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSpec {
  @Default("jwt")
  @JsonPropertyDescription(
      "jwt (the default): every client presents a JWT signed by the key of secret or"
          + " jwksConfigMap, and its sub is the user. none: no authentication, anyone can send as"
          + " any user; for development only.")
  private AuthMode mode = AuthMode.jwt;

  @JsonPropertyDescription(
      "Secret holding the verification key: an HMAC secret (HS256, at least 32 bytes) or a PEM"
          + " public key (RS256, ES256); mounted as KUBECHAT_AUTH_JWT_KEY_FILE.")
  private KeyReference secret;

  @JsonPropertyDescription(
      "ConfigMap holding a JWKS document whose keys sign client tokens; mounted as"
          + " KUBECHAT_AUTH_JWKS_FILE.")
  private KeyReference jwksConfigMap;

  @JsonPropertyDescription("The iss every token must have; unset means not checked.")
  private String issuer;

  @JsonPropertyDescription("Accepted aud values, one of which a token must name; unset: any.")
  private List<String> audience;

  @JsonPropertyDescription(
      "The claim listing the group patterns (team-*) a token may use; unset means the pod's"
          + " default, groups.")
  private String groupsClaim;

  @Min(0)
  @Max(600)
  @JsonPropertyDescription(
      "Clock skew tolerated on exp, nbf and iat, 0 to 600 s; unset means the pod's default 30.")
  private Integer clockSkewSeconds;

  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds a connection whose token expired has to send a new one, 1 to 3600; unset means"
          + " the pod's default 30.")
  private Integer reauthGraceSeconds;

  public AuthMode getMode() {
    return mode;
  }

  public void setMode(AuthMode mode) {
    this.mode = mode;
  }

  public KeyReference getSecret() {
    return secret;
  }

  public void setSecret(KeyReference secret) {
    this.secret = secret;
  }

  public KeyReference getJwksConfigMap() {
    return jwksConfigMap;
  }

  public void setJwksConfigMap(KeyReference jwksConfigMap) {
    this.jwksConfigMap = jwksConfigMap;
  }

  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    this.issuer = issuer;
  }

  public List<String> getAudience() {
    return audience;
  }

  public void setAudience(List<String> audience) {
    this.audience = audience;
  }

  public String getGroupsClaim() {
    return groupsClaim;
  }

  public void setGroupsClaim(String groupsClaim) {
    this.groupsClaim = groupsClaim;
  }

  public Integer getClockSkewSeconds() {
    return clockSkewSeconds;
  }

  public void setClockSkewSeconds(Integer clockSkewSeconds) {
    this.clockSkewSeconds = clockSkewSeconds;
  }

  public Integer getReauthGraceSeconds() {
    return reauthGraceSeconds;
  }

  public void setReauthGraceSeconds(Integer reauthGraceSeconds) {
    this.reauthGraceSeconds = reauthGraceSeconds;
  }
}
