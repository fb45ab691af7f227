#!/bin/sh
# Starts the connector inside the image. `docker run` runs it as ENTRYPOINT and Airbyte evaluates it
# as AIRBYTE_ENTRYPOINT through /bin/sh, so it must stay POSIX sh.
set -eu

# Node sizes its heap from the machine's memory, not from the container's limit. Airbyte gives each
# connector a memory limit and the kernel kills a container that exceeds it, without a word in the
# sync log. Capping the heap below the limit turns that into a visible out-of-memory error, and
# makes the garbage collector work harder before the limit is reached.
HEAP_PERCENT_OF_LIMIT=75
# Node also sizes its heap for throughput rather than footprint: on a large machine V8 lets the old
# generation grow to four times what is alive before a full collection, and the young one to 32 MB.
# A read keeps about 20 MB alive whatever the volume (it streams), so that growth is all garbage
# waiting: 300 MB of resident memory on a read of two million records. Below 2 GB V8 grows the old
# generation by less (about 1.4 times at 512 MB), and 4 MB semi-spaces quarter the young generation,
# at no measurable cost in speed now that rows are parsed with only the properties the streams read
# (npm run benchmark). 512 MB is still 25 times what a read keeps alive.
HEAP_MAX_MB=512
SEMI_SPACE_MB=4

# Answers wait in buffers of megabytes (src/streams/byte-queue.ts). glibc serves a block that large
# from its own mapping and returns it to the system when it is freed, until one is freed: then it
# raises that threshold to the freed block's size, and later buffers come from its heap, which
# gives little back. Resident memory then keeps the high-water mark of every buffer a read has had (about
# 50 MB more at two million records). A fixed threshold keeps the first behaviour; the operator's
# own setting wins.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"

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
    heap_mb=$HEAP_MAX_MB
    if limit=$(memory_limit_bytes); then
      limit_mb=$((limit / 1048576 * HEAP_PERCENT_OF_LIMIT / 100))
      [ "$limit_mb" -ge "$heap_mb" ] || heap_mb=$limit_mb
    fi
    heap_option="--max-old-space-size=$heap_mb"
    ;;
esac
semi_space_option=
case " ${NODE_OPTIONS:-} " in
  *max-semi-space-size*) ;;
  *) semi_space_option="--max-semi-space-size=$SEMI_SPACE_MB" ;;
esac

# In the image this script is /app/entrypoint.sh beside /app/dist; in the repository it is
# src/docker-entrypoint.sh, and the benchmark runs the connector through it as the image does.
main="$(dirname "$0")/dist/main.js"
[ -f "$main" ] || main="$(dirname "$0")/../dist/main.js"

# exec: node replaces this shell, so SIGTERM from `docker stop` or Airbyte reaches the connector,
# which then finishes its current line, logs out of the Service Layer and exits.
exec node ${heap_option:+"$heap_option"} ${semi_space_option:+"$semi_space_option"} "$main" "$@"
