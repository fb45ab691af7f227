#!/bin/sh
# Starts the connector inside the image. `docker run` runs it as ENTRYPOINT and Airbyte evaluates it
# as AIRBYTE_ENTRYPOINT through /bin/sh, so it must stay POSIX sh.
set -eu

# Node sizes its heap from the machine's memory, not from the container's limit. Airbyte gives each
# connector a memory limit and the kernel kills a container that exceeds it, without a word in the
# sync log. Capping the heap below the limit turns that into a visible out-of-memory error, and
# makes the garbage collector work harder before the limit is reached.
HEAP_PERCENT_OF_LIMIT=75

# Prints the container memory limit in bytes (cgroup v2, then v1); fails when there is none.
memory_limit_bytes() {
  for limit_file in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
    [ -r "$limit_file" ] || continue
    read -r limit < "$limit_file" || return 1
    case "$limit" in
      '' | *[!0-9]*) return 1 ;; # "max" on cgroup v2 means no limit
    esac
    # cgroup v1 reports "no limit" as a number close to 2^63; anything from 1 PB up is no limit.
    [ "${#limit}" -le 15 ] || return 1
    echo "$limit"
    return 0
  done
  return 1
}

heap_option=
case " ${NODE_OPTIONS:-} " in
  *max-old-space-size*) ;; # the operator chose a heap size: respect it
  *)
    if limit=$(memory_limit_bytes); then
      heap_option="--max-old-space-size=$((limit / 1048576 * HEAP_PERCENT_OF_LIMIT / 100))"
    fi
    ;;
esac

# exec: node replaces this shell, so SIGTERM from `docker stop` or Airbyte reaches the connector,
# which then finishes its current line, logs out of the Service Layer and exits.
exec node ${heap_option:+"$heap_option"} /app/dist/main.js "$@"
