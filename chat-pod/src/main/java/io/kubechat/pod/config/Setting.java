package io.kubechat.pod.config;

/** One documented environment variable: its name, default (null = required) and meaning. */
public record Setting(String env, String defaultValue, String range, String meaning) {}
