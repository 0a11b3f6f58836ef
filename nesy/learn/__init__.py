"""Learning: tasks, the verified self-training loop, held-out evaluation."""

from nesy.learn.evaluate import Evaluation, evaluate
from nesy.learn.loop import LearnResult, LoopConfig, SelfTrainer
from nesy.learn.metrics import RoundMetrics
from nesy.learn.task import Item, Task

__all__ = ["Evaluation", "Item", "LearnResult", "LoopConfig", "RoundMetrics", "SelfTrainer", "Task", "evaluate"]
