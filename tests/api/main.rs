mod helpers;

mod callbacks;
mod duplicates;
mod rejections;
