public enum Actions {}
