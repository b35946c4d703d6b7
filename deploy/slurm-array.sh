#!/bin/bash
# Annotates a shared photo archive as a Slurm job array: each task gets SLURM_ARRAY_TASK_ID and
# SLURM_ARRAY_TASK_COUNT, and --shard auto turns them into its part. A task that is requeued
# resumes its table. Afterwards, join the tables:
#   smile merge out/shard-*/faces.csv --out faces.csv
# Submit from the folder holding photos/ (shared by the nodes), with smile installed on each node
# (make install PREFIX=...) or run through the container of deploy/Dockerfile:
#   sbatch deploy/slurm-array.sh
#SBATCH --job-name=smile-annotate
#SBATCH --array=0-7
#SBATCH --cpus-per-task=1
#SBATCH --mem=2G
#SBATCH --requeue
#SBATCH --output=smile-%A_%a.log
set -euo pipefail
exec smile annotate photos --out "out/shard-${SLURM_ARRAY_TASK_ID}" --shard auto --resume --threads 1
