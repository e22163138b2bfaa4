#!/bin/bash
# stop the notebook after an hour idle
python autostop.py --time 3600
