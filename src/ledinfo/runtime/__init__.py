"""Process machinery below the stages: stop signals, the warm worker processes, the staged output folder
swapped in whole, and the timings of a build. It knows nothing of what the stages compute."""
