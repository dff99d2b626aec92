/** Where task folders register themselves (tasks/<name>/index.ts); everything else looks tasks up here. */
import type { TaskDefinition } from '../src/train/task.ts';

const tasks = new Map<string, TaskDefinition>();

export function registerTask(definition: TaskDefinition): void {
  if (tasks.has(definition.name)) throw new Error(`task '${definition.name}' is registered twice`);
  if (Object.keys(definition.presets).length === 0) throw new Error(`task '${definition.name}' has no presets`);
  tasks.set(definition.name, definition);
}

export function getTask(name: string): TaskDefinition | undefined {
  return tasks.get(name);
}

/** Registered task names, in registration order. */
export function taskNames(): string[] {
  return [...tasks.keys()];
}
