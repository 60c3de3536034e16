package io.kubechat.operator.crd;

/** Kubernetes image pull policies, spelled as Kubernetes spells them. */
public enum ImagePullPolicy {
  Always,
  IfNotPresent,
  Never
}
