"""Parses a Prometheus text exposition (stdin) with the official Python client's parser
(prometheus_client.parser) and prints every sample as JSON, so the Java tests read /metrics with a
real parser, not regexes.  Output: [{"family", "type", "name", "labels", "value"}, ...]"""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families

samples = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        value = sample.value
        samples.append({
            "family": family.name,
            "type": family.type,
            "name": sample.name,
            "labels": dict(sample.labels),
            "value": None if isinstance(value, float) and math.isnan(value) else value,
        })
json.dump(samples, sys.stdout)
