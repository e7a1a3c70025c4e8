#!/bin/sh
# bench-throughput: the guest half of bench/bench-throughput.sh: fio 4 KiB O_DIRECT jobs on /dev/nbd0's raw tail, past the root filesystem, one terse line each to the console.
# lab.fio_runs (rounds), lab.fio_runtime (seconds per job), lab.fio_offset and lab.fio_size (MiB), lab.fio_depths.
runs=5 runtime=1 offset=200 size=256 depths="1 8"
# shellcheck disable=SC2013 # the command line is one line of words
for arg in $(cat /proc/cmdline); do
	case $arg in
	lab.fio_runs=*) runs=${arg#*=} ;;
	lab.fio_runtime=*) runtime=${arg#*=} ;;
	lab.fio_offset=*) offset=${arg#*=} ;;
	lab.fio_size=*) size=${arg#*=} ;;
	lab.fio_depths=*) depths=$(echo "${arg#*=}" | tr , ' ') ;;
	esac
done
echo "NBDROOT-BENCH: fio start $(fio --version) nbd0_size=$(cat /sys/block/nbd0/size) block=$(cat /sys/block/nbd0/queue/logical_block_size)"
# One fio process a round, not one a job (it loads 60-odd libraries, slow under TCG): the jobs one after another (stonewall).
jobs=
for depth in $depths; do
	for rw in read randread write randwrite; do
		jobs="$jobs --name=$rw-qd$depth --rw=$rw --iodepth=$depth --stonewall"
	done
done
r=0
while [ "$r" -lt "$runs" ]; do
	r=$((r + 1))
	# shellcheck disable=SC2086 # $jobs is a list of options
	fio --filename=/dev/nbd0 --bs=4k --direct=1 --ioengine=libaio --offset="${offset}M" --size="${size}M" \
		--runtime="$runtime" --time_based --output-format=terse --terse-version=3 $jobs 2>&1 |
		awk -F';' -v r="$r" 'NF > 100 { print "NBDROOT-BENCH: fio run=" r " job=" $3 " read_kib_s=" $7 " read_iops=" $8 " write_kib_s=" $48 " write_iops=" $49 " err=" $5; next }
			{ print "NBDROOT-BENCH: fio output: " $0 }'
done
echo "NBDROOT-BENCH: fio done runs=$runs"
